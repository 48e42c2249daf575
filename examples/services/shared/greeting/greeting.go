// Package greeting is shared by the api and the worker: an edit here
// rebuilds both in one go build, and both cut over together.
package greeting

// Text is what both services answer with.
func Text() string {
	return "hello"
}
