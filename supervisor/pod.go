package main

// The modes that put the supervisor into a Kubernetes pod whose image has nothing but the program
// (FROM scratch, distroless): no shell, no tar, no cp.
//
//	install DEST    the pod's init container: copies this executable to DEST (a shared emptyDir)
//	receive DEST    writes stdin to DEST, executable, and prints its size and sha256: how the
//	                engine ships its own supervisor through `kubectl exec -i`
//	hold            the container's PID 1 in development mode (pod_unix.go)
//
// Files are written under a temporary name and renamed, so a half-written one never runs.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func installMain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: hotreload-supervisor install DEST")
		return 2
	}
	self, err := os.Executable()
	if err == nil {
		var in *os.File
		if in, err = os.Open(self); err == nil {
			defer in.Close()
			_, err = writeExecutable(args[0], in)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "hotreload-supervisor install: %v\n", err)
		return 1
	}
	return 0
}

func receiveMain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: hotreload-supervisor receive DEST")
		return 2
	}
	sum, err := writeExecutable(args[0], os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "hotreload-supervisor receive: %v\n", err)
		return 1
	}
	fmt.Println(sum)
	return 0
}

// writeExecutable writes r to dest (mode 0755) through a temporary file in the same folder and
// returns "SIZE SHA256".
func writeExecutable(dest string, r io.Reader) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".part-")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	hash := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, hash), r)
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dest)
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %s", n, hex.EncodeToString(hash.Sum(nil))), nil
}
