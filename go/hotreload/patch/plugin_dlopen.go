//go:build (linux || darwin || freebsd) && cgo && !hotreload_noplugin

package patch

import "plugin"

const pluginsSupported = true

func openPlugin(path string) (func(string) (any, error), error) {
	p, err := plugin.Open(path)
	if err != nil {
		return nil, err
	}
	return func(name string) (any, error) {
		sym, err := p.Lookup(name)
		return sym, err
	}, nil
}
