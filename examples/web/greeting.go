package main

// greeting is the page's heading; edit it and save to see the page reload.
func greeting() string {
	return "Hello from html/template"
}
