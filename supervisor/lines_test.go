package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadLines(t *testing.T) {
	long := strings.Repeat("x", 100)
	input := "{\"event\":\"ready\"}\r\n" + long + "\nafter\né\npartial"
	var got []string
	readLines(strings.NewReader(input), 50, func(line string) { got = append(got, line) })
	want := []string{`{"event":"ready"}`, "after", "é"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q: CRLF trimmed, the overlong line dropped, the next kept, a partial last line not delivered", got, want)
	}
}

func TestFrames(t *testing.T) {
	var b strings.Builder
	w := newFrameWriter(&b)
	if err := w.json(event{Event: "hello", Protocol: 1}); err != nil {
		t.Fatal(err)
	}
	if err := w.output(7, streamStderr, []byte("boom")); err != nil {
		t.Fatal(err)
	}
	r := newTestReader(b.String())
	kind, payload, err := readFrame(r)
	if err != nil || kind != frameJSON || string(payload) != `{"event":"hello","protocol":1}` {
		t.Fatalf("json frame: %d %q %v", kind, payload, err)
	}
	kind, payload, err = readFrame(r)
	if err != nil || kind != frameOutput || string(payload) != "\x00\x00\x00\x07\x02boom" {
		t.Fatalf("output frame: %d %q %v", kind, payload, err)
	}
	if _, _, err := readFrame(r); err == nil {
		t.Fatal("end of input must be an error")
	}
}
