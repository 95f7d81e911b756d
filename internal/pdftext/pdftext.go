// Package pdftext reads the text of a PDF back for tests, as a reader
// would: with poppler's pdftotext, which make deps installs.
package pdftext

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Read returns the PDF's text, pages separated by form feeds.
func Read(tb testing.TB, pdf []byte) string {
	tb.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		tb.Fatal("pdftotext is not installed: run make deps (it installs poppler-utils)")
	}
	path := filepath.Join(tb.TempDir(), "export.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		tb.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}
