// Package archtest holds no code: its test checks the import rules that
// the packages' doc comments state, so that the layout stays as the README
// describes it.
package archtest
