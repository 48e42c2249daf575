package main

import "testing"

func TestListenNetwork(t *testing.T) {
	for address, want := range map[string]string{
		"0.0.0.0:8080":   "tcp4",
		"127.0.0.1:0":    "tcp4",
		"[::]:8080":      "tcp",
		"[::1]:8080":     "tcp",
		":8080":          "tcp",
		"localhost:8080": "tcp",
	} {
		if got := listenNetwork(address); got != want {
			t.Errorf("listenNetwork(%q) = %q, want %q", address, got, want)
		}
	}
}
