// Package realtime is LinkLab's server-authoritative co-editing: change
// sets with the exact semantics of @codemirror/state (positions in UTF-16
// code units, the same mapping and tie-breaking), the per-section authority
// that accepts, maps, stores and broadcasts changes, presence, and fan-out.
// It speaks to connections through its own small interfaces and never
// imports the web framework.
package realtime
