package golive

import "slices"

// Clone returns a deep copy of the report: its sections, their items and each item's evidence are new slices, so
// the copy can be handed to another goroutine (writing the report to a file, say) while the original keeps being
// updated (Update, SetManual write into the sections in place).
func (r Report) Clone() Report {
	out := r
	out.secrets = slices.Clone(r.secrets)
	if r.Sections != nil {
		out.Sections = make([]ReportSection, len(r.Sections))
	}
	for i, s := range r.Sections {
		s.Items = slices.Clone(s.Items)
		for j := range s.Items {
			s.Items[j].Evidence = slices.Clone(s.Items[j].Evidence)
		}
		out.Sections[i] = s
	}
	return out
}
