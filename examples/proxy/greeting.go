package main

// greeting is what the service answers; edit it and save to see a reload.
func greeting() string {
	return "hello, world"
}
