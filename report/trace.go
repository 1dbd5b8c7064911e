package report

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/bgsim/bgsim/model"
	"github.com/bgsim/bgsim/sim"
)

// Trace writes every record of every run as one JSON object per line, in
// order: {"scenario", "variant", "seq", "t_s", "actor", "kind", "rule",
// "attrs": {...}, "note"}. Attributes keep the order the model gave them;
// durations among them are in seconds. The runs need their traces kept.
func Trace(w io.Writer, runs []*model.Result) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for _, r := range runs {
		for _, rec := range r.Trace {
			line = line[:0]
			line = append(line, `{"scenario":`...)
			line = appendJSON(line, r.Scenario)
			line = append(line, `,"variant":`...)
			line = appendJSON(line, r.Variant)
			line = append(line, `,"seq":`...)
			line = strconv.AppendInt(line, int64(rec.Seq), 10)
			line = append(line, `,"t_s":`...)
			line = strconv.AppendFloat(line, rec.At.Seconds(), 'f', -1, 64)
			line = append(line, `,"actor":`...)
			line = appendJSON(line, rec.Actor)
			line = append(line, `,"kind":`...)
			line = appendJSON(line, rec.Kind)
			line = append(line, `,"rule":`...)
			line = appendJSON(line, rec.Rule)
			line = append(line, `,"attrs":{`...)
			for i, a := range rec.Attrs {
				if i > 0 {
					line = append(line, ',')
				}
				line = appendJSON(line, a.Key)
				line = append(line, ':')
				switch a.Kind {
				case sim.AttrInt:
					line = strconv.AppendInt(line, a.Num, 10)
				case sim.AttrTime:
					line = strconv.AppendFloat(line, sim.Time(a.Num).Seconds(), 'f', -1, 64)
				default:
					line = appendJSON(line, a.Str)
				}
			}
			line = append(line, `},"note":`...)
			line = appendJSON(line, rec.Note)
			line = append(line, "}\n"...)
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func appendJSON(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}
