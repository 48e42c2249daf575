//go:build !((linux || darwin || freebsd) && cgo && !hotreload_noplugin)

package hotreload

const pluginsSupported = false

func openPlugin(path string) (func(string) (any, error), error) {
	return nil, ErrPluginsUnsupported
}
