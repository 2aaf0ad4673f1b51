package scenario

import "github.com/geosim/geosim/sim"

func simWorkspace(f *File) *sim.Workspace { return sim.NewWorkspace(f.Model) }
