// Package fdlimit lets a test that opens many connections make sure the
// process may hold them. It is for the tests of this module only.
package fdlimit
