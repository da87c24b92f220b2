#!/bin/sh
# Reproduces table 2 of "Learned backstop" in docs/quality-special-categories.md:
# the backstop trained and scored against the rules as they were at COMMIT, on
# today's labels. Nothing is written in the repository; the snapshot goes to a
# temporary directory. Blind folders are left out of the snapshot, and the tool
# reads only the groups it is given.
#
#	tools/trainspecial/snapshot.sh b144d17 b1,b2,blind,blind4,blind5 blind6,blind7
#	tools/trainspecial/snapshot.sh 81f3da9 b1,b2,blind,blind4,blind5,blind6 blind7
set -eu
commit=$1 train=$2 test=$3
repo=$(git rev-parse --show-toplevel)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
git -C "$repo" archive "$commit" | tar -x -C "$dir" --exclude='testdata/eval/blind*'
cp "$repo"/classifiers/specialcat/learned.go "$dir"/classifiers/specialcat/
cp "$repo"/classifiers/specialcat/data/learned.tsv "$dir"/classifiers/specialcat/data/
cp "$repo"/classifiers/specialcat/evalset/*.go "$dir"/classifiers/specialcat/evalset/
mkdir -p "$dir"/tools/trainspecial
cp "$repo"/tools/trainspecial/main.go "$repo"/tools/trainspecial/train.go "$repo"/tools/trainspecial/cv.go "$dir"/tools/trainspecial/
cd "$dir" && go run ./tools/trainspecial -data "$repo/testdata/eval" -train "$train" -test "$test" -markdown
