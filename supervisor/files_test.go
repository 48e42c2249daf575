package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestUploads(t *testing.T) {
	root := t.TempDir()
	u := uploads{open: map[uint32]*upload{}, root: root}
	target := filepath.Join(root, "builds", "v1", "app")
	if err := u.begin(1, target, 0o700); err != nil {
		t.Fatal(err)
	}
	u.write(1, []byte("#!"))
	if _, err := os.Stat(target); !os.IsNotExist(err) {
		t.Fatal("a file under way must not have its final name")
	}
	u.write(1, []byte("binary"))
	if err := u.end(1); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "#!binary" {
		t.Fatalf("got %q", b)
	}
	for _, outside := range []string{"/etc/passwd", filepath.Join(root, "..", "x"), "relative/x", root} {
		if err := u.begin(2, outside, 0o600); err == nil {
			t.Errorf("%s: a path outside the work dir was accepted", outside)
		}
	}
	if err := u.remove("/tmp"); err == nil {
		t.Error("removing outside the work dir was accepted")
	}
	if err := u.remove(filepath.Join(root, "builds")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "builds")); !os.IsNotExist(err) {
		t.Fatal("not removed")
	}
}
