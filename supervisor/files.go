package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// upload is a file the engine is sending (an artifact for a remote target): written to a temporary
// name beside its path and renamed into place once complete, so a running program is never
// overwritten and a half-written file never has the final name.
type upload struct {
	path string
	tmp  *os.File
	err  error
}

type uploads struct {
	mu   sync.Mutex
	open map[uint32]*upload
	root string
}

// within says whether path is inside the supervisor's work dir: the only place it writes or removes.
func (u *uploads) within(path string) bool {
	if u.root == "" || !filepath.IsAbs(path) {
		return false
	}
	rel, err := filepath.Rel(u.root, filepath.Clean(path))
	return err == nil && rel != "." && !strings.HasPrefix(rel, "..")
}

func (u *uploads) begin(id uint32, path string, mode os.FileMode) error {
	if !u.within(path) {
		return fmt.Errorf("%s is outside the work dir %s", path, u.root)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path+".part", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	u.mu.Lock()
	u.open[id] = &upload{path: path, tmp: f}
	u.mu.Unlock()
	return nil
}

func (u *uploads) write(id uint32, data []byte) {
	u.mu.Lock()
	up := u.open[id]
	u.mu.Unlock()
	if up == nil || up.err != nil {
		return
	}
	if _, err := up.tmp.Write(data); err != nil {
		up.err = err
	}
}

func (u *uploads) end(id uint32) error {
	u.mu.Lock()
	up := u.open[id]
	delete(u.open, id)
	u.mu.Unlock()
	if up == nil {
		return fmt.Errorf("no file %d under way", id)
	}
	closeErr := up.tmp.Close()
	if up.err != nil || closeErr != nil {
		_ = os.Remove(up.tmp.Name())
		if up.err != nil {
			return up.err
		}
		return closeErr
	}
	return os.Rename(up.tmp.Name(), up.path)
}

// remove deletes a path inside the work dir (old artifacts, or the work dir's content at the end).
func (u *uploads) remove(path string) error {
	if path != u.root && !u.within(path) {
		return fmt.Errorf("%s is outside the work dir %s", path, u.root)
	}
	return os.RemoveAll(path)
}
