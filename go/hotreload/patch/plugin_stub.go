//go:build !((linux || darwin || freebsd) && cgo && !hotreload_noplugin)

package patch

const pluginsSupported = false

func openPlugin(path string) (func(string) (any, error), error) {
	return nil, ErrPluginsUnsupported
}
