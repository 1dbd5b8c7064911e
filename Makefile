# Release builds: static binaries for linux and darwin, amd64 and arm64,
# in dist/. The version comes from the tree: built from a tagged commit,
# `bgsim version` reports the tag (go build stamps it, Go 1.24 and later;
# -buildvcs is left on for that).
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64

.PHONY: release test ci clean

release:
	@mkdir -p dist
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; \
		echo "dist/bgsim-$$os-$$arch"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch go build -trimpath -ldflags='-s -w' -o dist/bgsim-$$os-$$arch ./cmd/bgsim; \
	done

test:
	go test ./...

ci:
	bash .ci/run

clean:
	rm -rf dist
