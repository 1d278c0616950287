# complete.fish DIR CASES: ask fish for the completions of each line of
# CASES, as TAB would, with DIR first on fish_complete_path, and print
# "@@LINE" then the candidates (without their descriptions), one a line;
# "@@LINE" also goes to standard error, to tell what printed errors.
set -p fish_complete_path $argv[1]
while read -l line
    echo "@@$line"
    echo "@@$line" >&2
    complete -C"$line" | string replace -r '\t.*' ''
end <$argv[2]
exit 0
