package ui

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
)

// pageShots captures every page of s (built first, in page order) as its window draws it.
func pageShots(s *shell) []image.Image {
	var shots []image.Image
	for i := range s.pages {
		withUI(func() { s.goTo(i) })
		withUI(func() { shots = append(shots, s.win.Canvas().Capture()) })
	}
	return shots
}

func themedShell(t *testing.T, pref string) *shell {
	s := newTestShell(t)
	withUI(func() {
		applyTheme(s.app, pref)
		s.win.Resize(fyne.NewSize(1000, 700))
	})
	return s
}

// differingPixels counts the pixels that differ between two captures of the same size.
func differingPixels(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx() * a.Bounds().Dy()
	}
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				n++
			}
		}
	}
	return n
}

// A theme switched at run time draws every page as a fresh start in that theme does (issue 23: after Dark → Light,
// selects lost their arrows and the table's grid and header kept the old colours until a restart). Dark → Light →
// Dark, every page visited before the switch, each compared pixel for pixel with a fresh window. Not parallel:
// Fyne's widgets read the theme of the current app, which another test's new app would replace.
func TestThemeSwitchDrawsAsAFreshStart(t *testing.T) {
	fresh := map[string][]image.Image{}
	for _, pref := range []string{"light", "dark"} {
		s := themedShell(t, pref)
		fresh[pref] = pageShots(s)
	}
	s := themedShell(t, "dark")
	pageShots(s) // every page built and drawn in Dark
	for _, pref := range []string{"light", "dark"} {
		withUI(func() { applyTheme(s.app, pref) })
		for i, shot := range pageShots(s) {
			if n := differingPixels(shot, fresh[pref][i]); n > 0 {
				dir := t.TempDir()
				for name, img := range map[string]image.Image{"switched": shot, "fresh": fresh[pref][i]} {
					f, err := os.Create(filepath.Join(dir, name+".png"))
					if err == nil {
						_ = png.Encode(f, img)
						f.Close()
					}
				}
				if keep := os.Getenv("THEME_SHOTS"); keep != "" {
					_ = os.CopyFS(filepath.Join(keep, pref+"-"+pageKeys[i]), os.DirFS(dir))
				}
				t.Errorf("after switching to %s, %s differs from a fresh start in %d pixels", pref, s.pages[i].title, n)
			}
		}
	}
}
