"""The command line: click commands only. Options in, one core call, output, exit code."""
