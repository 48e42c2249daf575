package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"testing"
)

// frameLine is one frame of frames.jsonl: what it carries, and its bytes on the wire (hex). The
// engine's unit test decodes the supervisor's frames and encodes its own, and compares the bytes.
type frameLine struct {
	Kind    string          `json:"kind"`
	Message json.RawMessage `json:"message,omitempty"`
	ID      uint32          `json:"id,omitempty"`
	Stream  string          `json:"stream,omitempty"`
	Data    string          `json:"data,omitempty"`
	Hex     string          `json:"hex"`
}

// dataFrame is the engine's encoding of an input or file frame: [id][bytes] after the kind.
func dataFrame(kind byte, id uint32, data string) []byte {
	b := make([]byte, 9, 9+len(data))
	binary.BigEndian.PutUint32(b, uint32(5+len(data)))
	b[4] = kind
	binary.BigEndian.PutUint32(b[5:], id)
	return append(b, data...)
}

func TestGoldenFrames(t *testing.T) {
	var buf bytes.Buffer
	w := newFrameWriter(&buf)
	take := func() []byte {
		b := append([]byte(nil), buf.Bytes()...)
		buf.Reset()
		return b
	}
	code := 3
	var frames []frameLine
	var wire [][]byte
	add := func(line frameLine, b []byte) {
		line.Hex = hex.EncodeToString(b)
		frames = append(frames, line)
		wire = append(wire, b)
	}
	if err := w.json(event{Event: eventExited, ID: 7, Code: &code}); err != nil {
		t.Fatal(err)
	}
	add(frameLine{Kind: "json", Message: json.RawMessage(`{"event":"exited","id":7,"code":3}`)}, take())
	// The engine's request, as the engine frames it (and the supervisor reads it).
	if err := w.json(request{Op: opPing}); err != nil {
		t.Fatal(err)
	}
	add(frameLine{Kind: "json", Message: json.RawMessage(`{"op":"ping"}`)}, take())
	if err := w.output(7, streamStdout, []byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	add(frameLine{Kind: "output", ID: 7, Stream: "stdout", Data: "hello\n"}, take())
	if err := w.output(7, streamStderr, []byte("boom")); err != nil {
		t.Fatal(err)
	}
	add(frameLine{Kind: "output", ID: 7, Stream: "stderr", Data: "boom"}, take())
	add(frameLine{Kind: "input", ID: 7, Data: "hi\n"}, dataFrame(frameInput, 7, "hi\n"))
	add(frameLine{Kind: "file", ID: 2, Data: "#!"}, dataFrame(frameFile, 2, "#!"))

	// Every frame reads back as what it says it carries.
	kinds := map[string]byte{"json": frameJSON, "output": frameOutput, "input": frameInput, "file": frameFile}
	var lines [][]byte
	for i, f := range frames {
		kind, payload, err := readFrame(newTestReader(string(wire[i])))
		if err != nil || kind != kinds[f.Kind] {
			t.Fatalf("%s frame: kind %d, %v", f.Kind, kind, err)
		}
		var want []byte
		switch f.Kind {
		case "json":
			want = f.Message
		case "output":
			stream := map[string]byte{"stdout": streamStdout, "stderr": streamStderr}[f.Stream]
			want = append(binary.BigEndian.AppendUint32(nil, f.ID), stream)
			want = append(want, f.Data...)
		default:
			want = append(binary.BigEndian.AppendUint32(nil, f.ID), f.Data...)
		}
		if !bytes.Equal(payload, want) {
			t.Fatalf("%s frame: payload %q; want %q", f.Kind, payload, want)
		}
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, b)
	}
	checkGolden(t, "frames.jsonl", lines)
}
