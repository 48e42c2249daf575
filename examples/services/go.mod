module example.com/services

go 1.19

require hotreload.dev/go/hotreload v0.0.0

replace hotreload.dev/go/hotreload => ../../go/hotreload
