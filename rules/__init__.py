"""Built-in rules and word lists: data, shipped in the wheel as scanner.builtin_rules."""
