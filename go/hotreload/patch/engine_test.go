package patch

import (
	"strings"
	"testing"
)

func TestEventEncoding(t *testing.T) {
	// The engine reads these exact shapes.
	for _, c := range []struct {
		ev   event
		want string
	}{
		{event{Event: "patched", Slot: "rules", ID: []byte("7")}, `{"event":"patched","slot":"rules","id":7}`},
		{event{Event: "patchFailed", Slot: "rules", ID: []byte("7"), Error: `plugin.Open("a<b>.so"): x`}, `{"event":"patchFailed","slot":"rules","id":7,"error":"plugin.Open(\"a<b>.so\"): x"}`},
	} {
		if got := string(encodeEvent(c.ev)); got != c.want {
			t.Errorf("event line = %q; want %q", got, c.want)
		}
	}
}

func TestCommandAnswers(t *testing.T) {
	var p enginePatcher
	if got := p.Command([]byte("not json\n")); got != nil {
		t.Errorf("a malformed command was answered: %s", got)
	}
	if got := p.Command([]byte(`{"op":"future"}`)); got != nil {
		t.Errorf("an unknown command was answered: %s", got)
	}
	got := string(p.Command([]byte(`{"op":"patch","slot":"no-such-slot","id":"a","path":"/x.so"}`)))
	if !strings.HasPrefix(got, `{"event":"patchFailed","slot":"no-such-slot","id":"a","error":"the program declares no slot`) {
		t.Errorf("patch of an undeclared slot answered %s", got)
	}
	if err := p.Startup(`[1]`); err == nil || !strings.Contains(err.Error(), "HOTRELOAD_PLUGINS is not a JSON object") {
		t.Errorf("Startup of a malformed HOTRELOAD_PLUGINS: %v", err)
	}
}
