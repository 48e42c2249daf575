package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Frames on the channel: a 4-byte big-endian length (of kind and payload), a kind byte, the payload.
// JSON frames carry messages; data frames carry a program's output (to the engine) or input (from
// it) without any encoding: [4-byte program id][1-byte stream][bytes].
const (
	frameJSON   = 1
	frameOutput = 2
	frameInput  = 3
	frameFile   = 4

	maxFrame = 16 << 20
)

// Streams in an output frame.
const (
	streamStdout = 1
	streamStderr = 2
)

// frameWriter writes whole frames; safe from any goroutine.
type frameWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func newFrameWriter(w io.Writer) *frameWriter {
	return &frameWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

func (f *frameWriter) write(kind byte, parts ...[]byte) error {
	n := 1
	for _, p := range parts {
		n += len(p)
	}
	var head [5]byte
	binary.BigEndian.PutUint32(head[:4], uint32(n))
	head[4] = kind
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.w.Write(head[:]); err != nil {
		return err
	}
	for _, p := range parts {
		if _, err := f.w.Write(p); err != nil {
			return err
		}
	}
	return f.w.Flush()
}

func (f *frameWriter) json(v interface{}) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return f.write(frameJSON, b)
}

func (f *frameWriter) output(id uint32, stream byte, data []byte) error {
	var head [5]byte
	binary.BigEndian.PutUint32(head[:4], id)
	head[4] = stream
	return f.write(frameOutput, head[:], data)
}

// readFrame reads one frame; io.EOF only at a frame boundary.
func readFrame(r *bufio.Reader) (byte, []byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:4]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[:4])
	if n < 1 || n > maxFrame {
		return 0, nil, fmt.Errorf("bad frame length %d", n)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, nil, err
	}
	return buf[0], buf[1:], nil
}
