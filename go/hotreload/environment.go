package hotreload

import "os"

// environment is what the package takes from the process it runs in: its
// variables, its pid and its parent's, and how it ends a program that outlives
// its engine. The package's own is the process's (processEnvironment); tests
// give newProgram theirs.
type environment struct {
	lookup    func(key string) (string, bool)
	unset     func(key string)
	pid, ppid int
	terminate func()         // the signal the engine would have sent (SIGTERM to itself)
	exit      func(code int) // os.Exit
}

func processEnvironment() environment {
	return environment{
		lookup:    os.LookupEnv,
		unset:     func(key string) { _ = os.Unsetenv(key) },
		pid:       os.Getpid(),
		ppid:      os.Getppid(),
		terminate: selfTerminate,
		exit:      os.Exit,
	}
}

// get is the variable's value, "" when unset.
func (e environment) get(key string) string {
	v, _ := e.lookup(key)
	return v
}
