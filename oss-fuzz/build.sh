#!/bin/bash -eu
# OSS-Fuzz build script for schedfuzz (projects/schedfuzz/build.sh). The build
# itself lives in the project, so OSS-Fuzz, ClusterFuzzLite and local checks
# (scripts/check_build.sh) all run the same script: scripts/build.sh. It reads
# $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $SRC $WORK $OUT, builds Abseil
# from $SRC/abseil-cpp, and writes the targets, seed corpora, dictionaries and
# options into $OUT.
exec "$SRC/schedfuzz/scripts/build.sh"
