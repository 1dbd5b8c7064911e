package report

import (
	"fmt"
	"slices"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// timeAxis maps a run's virtual time to x, fitted to the run's activity:
// the stretches where something happens share the width in proportion to
// their length, and a long idle stretch between them is a break of fixed
// width, drawn as such and labelled with its length.
type timeAxis struct {
	segs   []axisSeg // shown stretches, in order
	breaks []axisSeg // the idle stretches between them
}

type axisSeg struct {
	from, to sim.Time
	x0, x1   float64
}

// At most this many breaks; a gap becomes one when it is longer than
// breakShare of the time still shown and than minBreak.
const (
	maxBreaks  = 3
	breakShare = 0.3
	minBreak   = 10 * sim.Second
	minSegPx   = 90.0
)

// activity is when something happens in a run: every told event, the
// stretches an upload is in flight or held, and the radios' non-idle
// states. The app being backgrounded or suspended is not activity.
func activity(r *model.Result) [][2]sim.Time {
	var iv [][2]sim.Time
	for _, b := range story(r) {
		if b.Actor == "radio" {
			continue
		}
		iv = append(iv, [2]sim.Time{b.At, b.At})
	}
	for _, l := range uploadLanes(r) {
		for _, s := range l.spans {
			if s.state != "waiting" && s.state != "held" {
				iv = append(iv, [2]sim.Time{s.from, s.to})
			}
		}
	}
	for _, re := range r.Radios {
		for _, x := range re.Intervals {
			if x.State != "idle" && x.State != "off" {
				iv = append(iv, [2]sim.Time{x.From, x.To})
			}
		}
	}
	iv = append(iv, [2]sim.Time{0, 0}, [2]sim.Time{r.EndedAt, r.EndedAt})
	slices.SortFunc(iv, func(a, b [2]sim.Time) int {
		switch {
		case a[0] < b[0]:
			return -1
		case a[0] > b[0]:
			return 1
		}
		return 0
	})
	var out [][2]sim.Time
	for _, x := range iv {
		if n := len(out); n > 0 && x[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], x[1])
			continue
		}
		out = append(out, x)
	}
	return out
}

// fitAxis lays the run's time over [left, left+width].
func fitAxis(r *model.Result, left, width float64) timeAxis {
	end := max(r.EndedAt, sim.Millisecond)
	act := activity(r)
	type gap struct{ from, to sim.Time }
	var gaps []gap
	for i := 1; i < len(act); i++ {
		gaps = append(gaps, gap{act[i-1][1], act[i][0]})
	}
	slices.SortStableFunc(gaps, func(a, b gap) int {
		switch da, db := a.to-a.from, b.to-b.from; {
		case da > db:
			return -1
		case da < db:
			return 1
		}
		return 0
	})
	shown := end
	var cut []gap
	for _, g := range gaps {
		if len(cut) == maxBreaks {
			break
		}
		d := g.to - g.from
		if d < minBreak || float64(d) < breakShare*float64(shown) {
			break
		}
		cut = append(cut, g)
		shown -= d
	}
	slices.SortFunc(cut, func(a, b gap) int {
		if a.from < b.from {
			return -1
		}
		return 1
	})
	// Keep a margin of shown time on each side of a break, so that what
	// happens at its edges is not drawn on it.
	pad := max(shown/40, sim.Millisecond)
	var ax timeAxis
	from := sim.Time(0)
	for _, g := range cut {
		ax.segs = append(ax.segs, axisSeg{from: from, to: min(g.from+pad, g.to)})
		from = max(g.to-pad, g.from+pad)
		ax.breaks = append(ax.breaks, axisSeg{from: ax.segs[len(ax.segs)-1].to, to: from})
	}
	ax.segs = append(ax.segs, axisSeg{from: from, to: end})
	var total sim.Time
	for _, s := range ax.segs {
		total += s.to - s.from
	}
	avail := width - breakWidth*float64(len(ax.breaks))
	free := avail - minSegPx*float64(len(ax.segs))
	x := left
	for i := range ax.segs {
		s := &ax.segs[i]
		w := avail
		if len(ax.segs) > 1 {
			w = minSegPx + free*float64(s.to-s.from)/float64(max(total, 1))
		}
		s.x0, s.x1 = x, x+w
		x += w
		if i < len(ax.breaks) {
			ax.breaks[i].x0, ax.breaks[i].x1 = x, x+breakWidth
			x += breakWidth
		}
	}
	return ax
}

// x is where t is drawn.
func (a timeAxis) x(t sim.Time) float64 {
	for _, set := range [][]axisSeg{a.segs, a.breaks} {
		for _, s := range set {
			if t >= s.from && t <= s.to {
				if s.to == s.from {
					return s.x0
				}
				return s.x0 + float64(t-s.from)/float64(s.to-s.from)*(s.x1-s.x0)
			}
		}
	}
	if t < 0 || len(a.segs) == 0 {
		return a.segs[0].x0
	}
	return a.segs[len(a.segs)-1].x1
}

// ticks are round times in each shown stretch, at least tickPx apart.
func (a timeAxis) ticks(tickPx float64) []sim.Time {
	var out []sim.Time
	for _, s := range a.segs {
		d := s.to - s.from
		n := max(1, int((s.x1-s.x0)/tickPx))
		step := tickSteps[len(tickSteps)-1]
		for _, st := range tickSteps {
			if int(d/st)+1 <= n {
				step = st
				break
			}
		}
		for t := (s.from + step - 1) / step * step; t <= s.to; t += step {
			out = append(out, t)
		}
	}
	return out
}

// breakLabel says how long a break is: "59m38s idle".
func breakLabel(b axisSeg) string {
	d := b.to - b.from
	if d >= sim.Minute {
		d = (d + sim.Second/2) / sim.Second * sim.Second
	}
	return fmt.Sprintf("%s idle", shortTime(d))
}
