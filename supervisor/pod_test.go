package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteExecutableLandsWholeAndExecutable(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "sub", "agent")
	payload := bytes.Repeat([]byte("hotreload"), 100_000)
	sum, err := writeExecutable(dest, bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(payload)
	if want := fmt.Sprintf("%d %s", len(payload), hex.EncodeToString(digest[:])); sum != want {
		t.Fatalf("sum %q, want %q", sum, want)
	}
	info, err := os.Stat(dest)
	if err != nil || info.Mode().Perm() != 0o755 || info.Size() != int64(len(payload)) {
		t.Fatalf("stat %v %v", info, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dest))
	if len(entries) != 1 {
		t.Fatalf("a temporary file was left: %v", entries)
	}
}

func TestWriteExecutableLeavesNothingWhenTheFolderCannotBeMade(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := writeExecutable(filepath.Join(blocker, "agent"), strings.NewReader("x")); err == nil {
		t.Fatal("wrote under a file")
	}
}
