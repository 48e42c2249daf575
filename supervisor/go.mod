module hotreload.dev/supervisor

go 1.19
