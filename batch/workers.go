package batch

import "runtime"

func runtimeWorkers() int { return runtime.GOMAXPROCS(0) }
