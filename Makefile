# rift - thin wrapper over meson + ninja.
#   make          build build/rift (installs missing Debian packages first)
#   make check    build and run every test; ends with "N passed, N failed"
#   make check-asan  the same tests under ASan+UBSan (build-asan/)
#   make demo     triage the sample evidence in ../shared/data
#   make bench    benchmarks against peers (bench/)
#   make fuzz     libFuzzer harnesses (build-fuzz/, clang)

BUILD ?= build
DATA ?= $(abspath ../shared/data)
export RIFT_DATA := $(DATA)

.PHONY: all deps build check check-asan demo bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) --buildtype=release

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

build-asan/build.ninja: | deps
	CC=clang meson setup build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Ddebug_checks=true

check: build
	@tests/run.sh $(BUILD)

check-asan: deps build-asan/build.ninja
	@ninja -C build-asan >/dev/null || ninja -C build-asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  RIFT_QUICK=1 tests/run.sh build-asan

demo: build
	@scripts/demo.sh $(BUILD)

bench: build
	@bench/run-all.sh $(BUILD)

build-fuzz/build.ninja: | deps
	CC=clang meson setup build-fuzz --buildtype=debugoptimized -Dfuzz=true -Db_lundef=false

fuzz: deps build-fuzz/build.ninja
	ninja -C build-fuzz

clean:
	rm -rf $(BUILD) build-asan build-fuzz
