package main

import (
	"bufio"
	"strings"
)

func newTestReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }
