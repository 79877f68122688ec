package results

// WriteFileAtomic writes data to path the way Write writes result files:
// into a uniquely named temporary file in path's directory, synced, then
// renamed onto path (and the directory synced, best effort). A reader never
// sees half a file, a crash never corrupts an existing one, and two writers
// never share a temporary file. Without force it refuses to replace an
// existing non-empty file, and does so atomically (a hard link that fails
// when path exists), so of two writers racing for one new path exactly one
// succeeds and neither clobbers the other. The directory must exist.
//
// Commands use it for every file they write besides result files (the
// HTML report), so all share one tested writer.
func WriteFileAtomic(path string, data []byte, force bool) error {
	return writeAtomic(path, data, force)
}
