# calemu: the two commands a user needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/deps.sh), then build into build/.

BUILD      ?= build
JOBS       ?= $(shell nproc)
BUILD_TYPE ?= Release
WERROR     ?= OFF
CMAKE_ARGS ?=

.PHONY: all build deps configure demo test bench fuzz clean

all: build

deps:
	@./scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	    -DCALEMU_WERROR=$(WERROR) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/calemu demo

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	./$(BUILD)/calemu-bench-hart

# Longer fuzzing of the image parser than ctest's 10 s (FUZZ_SECONDS, default 300).
FUZZ_SECONDS ?= 300
fuzz: build
	./$(BUILD)/tests/fuzz/fuzz_image_parse -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	    $(BUILD)/tests/fuzz/corpus $(BUILD)/firmware/bundles

clean:
	rm -rf $(BUILD)
