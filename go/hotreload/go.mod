module hotreload.dev/go/hotreload

go 1.19
