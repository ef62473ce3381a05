#!/bin/bash -eu
# ClusterFuzzLite build script: the real build is scripts/build.sh (shared with
# OSS-Fuzz's oss-fuzz/build.sh and scripts/check_build.sh).
exec "$SRC/schedfuzz/scripts/build.sh"
