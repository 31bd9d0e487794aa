// Package browsertest holds only tests: they run the real `link` command end to end, with headless Chromium (driven
// by chromedp) playing the person at the browser and the machine's real Secret Service receiving the loginId
// (make test starts a private one through scripts/with-keyring.sh). They live apart from package cli because its
// tests replace the keychain with go-keyring's mock (keyring.MockInit), which holds for a whole test binary.
package browsertest
