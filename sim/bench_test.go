package sim

import (
	"container/heap"
	"fmt"
	"math"
	"sync"
	"testing"
)

// The workloads of the kernel benchmarks, each run twice: on Sim and on a
// plain container/heap event loop (the baseline), so that one `go test
// -bench` run shows both side by side on the same machine at the same
// moment. See docs/benchmarks.md for the figures.

// splitmix64 is the generator the M/M/1 workload specifies.
type splitmix64 struct{ state uint64 }

func (g *splitmix64) next() uint64 {
	g.state += 0x9e3779b97f4a7c15
	z := g.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// exp draws an exponential variate with the given mean in seconds and
// returns it in nanoseconds, rounded to the nearest one.
func (g *splitmix64) exp(mean float64) int64 {
	u := float64(g.next()>>11) / (1 << 53)
	return int64(math.Round(-mean * math.Log(1-u) * 1e9))
}

const (
	mm1Customers = 200_000
	mm1Arrival   = 1 / 0.9 // mean inter-arrival time, s
	mm1Service   = 1.0     // mean service time, s
)

// mm1Variates returns the inter-arrival times (the i-th separates
// customers i and i+1) and the service times (the j-th goes to the j-th
// customer to start service), in nanoseconds. Neither sequence depends on
// how the simulation unfolds, so they are drawn once, outside the timed
// loops: the benchmarks then measure the event machinery rather than
// math.Log, which would otherwise take most of the time in both loops.
var mm1Variates = sync.OnceValues(func() (interArrival, service []int64) {
	arrivals, services := splitmix64{1}, splitmix64{2}
	interArrival = make([]int64, mm1Customers)
	service = make([]int64, mm1Customers)
	for i := range mm1Customers {
		interArrival[i] = arrivals.exp(mm1Arrival)
		service[i] = services.exp(mm1Service)
	}
	return interArrival, service
})

// mm1 is the model: one FIFO server. It only decides; the event loop that
// drives it schedules. Both loops below drive the same model.
type mm1 struct {
	interArrival, service []int64
	arrivedAt             []int64
	queue                 []int32
	head                  int
	busy                  bool
	sumWait               int64  // ns, exact
	orderHash             uint64 // h = h*1000003 + id over service order
	served                int
	fifo                  bool // every customer was served after all earlier ones
}

func (m *mm1) reset() {
	m.interArrival, m.service = mm1Variates()
	if m.arrivedAt == nil {
		m.arrivedAt = make([]int64, mm1Customers)
	}
	m.queue, m.head, m.busy = m.queue[:0], 0, false
	m.sumWait, m.orderHash, m.served, m.fifo = 0, 0, 0, true
}

// arrive handles customer id arriving at now. It returns the delay to the
// next arrival (-1: none) and the service time if service starts now (-1:
// the customer queues).
func (m *mm1) arrive(now int64, id int32) (next, service int64) {
	m.arrivedAt[id] = now
	next = -1
	if int(id)+1 < mm1Customers {
		next = m.interArrival[id]
	}
	if m.busy {
		m.queue = append(m.queue, id)
		return next, -1
	}
	return next, m.start(now, id)
}

// depart handles the end of a service. It returns the next service time,
// or -1 when the queue is empty.
func (m *mm1) depart(now int64) int64 {
	if m.head == len(m.queue) {
		m.busy = false
		m.queue, m.head = m.queue[:0], 0
		return -1
	}
	id := m.queue[m.head]
	m.head++
	return m.start(now, id)
}

func (m *mm1) start(now int64, id int32) int64 {
	if int(id) != m.served {
		m.fifo = false
	}
	m.served++
	m.busy = true
	m.sumWait += now - m.arrivedAt[id]
	m.orderHash = m.orderHash*1000003 + uint64(id)
	return m.service[m.served-1]
}

func (m *mm1) line() string {
	mean := float64(m.sumWait) / (float64(mm1Customers) * 1e9)
	return fmt.Sprintf("mm1 customers=%d mean_wait=%.12f order_hash=%016x", mm1Customers, mean, m.orderHash)
}

type mm1Msg struct {
	depart bool
	id     int32
}

// runMM1 drives the model on the kernel.
func runMM1(s *Sim[mm1Msg], m *mm1) error {
	s.Reset(Config{})
	m.reset()
	s.At(0, mm1Msg{id: 0})
	return s.Run(func(msg mm1Msg) {
		now := int64(s.Now())
		var service int64
		if msg.depart {
			service = m.depart(now)
		} else {
			var next int64
			next, service = m.arrive(now, msg.id)
			if next >= 0 {
				s.After(Time(next), mm1Msg{id: msg.id + 1})
			}
		}
		if service >= 0 {
			s.After(Time(service), mm1Msg{depart: true})
		}
	})
}

// The baseline: the event loop most people write first, on container/heap.
type baseEvent struct {
	at   int64
	seq  uint64
	kind int32
	id   int32
}

type baseQueue []baseEvent

func (q baseQueue) Len() int { return len(q) }
func (q baseQueue) Less(i, j int) bool {
	return q[i].at < q[j].at || (q[i].at == q[j].at && q[i].seq < q[j].seq)
}
func (q baseQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *baseQueue) Push(x any)   { *q = append(*q, x.(baseEvent)) }
func (q *baseQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

type baseLoop struct {
	q   baseQueue
	seq uint64
	now int64
}

func (l *baseLoop) reset() { l.q, l.seq, l.now = l.q[:0], 0, 0 }

func (l *baseLoop) schedule(at int64, kind, id int32) {
	l.seq++
	heap.Push(&l.q, baseEvent{at: at, seq: l.seq, kind: kind, id: id})
}

func runBaselineMM1(l *baseLoop, m *mm1) int {
	l.reset()
	m.reset()
	l.schedule(0, 0, 0)
	events := 0
	for l.q.Len() > 0 {
		e := heap.Pop(&l.q).(baseEvent)
		l.now = e.at
		events++
		var service int64
		if e.kind == 1 {
			service = m.depart(l.now)
		} else {
			var next int64
			next, service = m.arrive(l.now, e.id)
			if next >= 0 {
				l.schedule(l.now+next, 0, e.id+1)
			}
		}
		if service >= 0 {
			l.schedule(l.now+service, 1, 0)
		}
	}
	return events
}

// TestMM1 runs the M/M/1 workload to the end on the kernel, checks FIFO
// service and agreement with the baseline to the last bit, and logs the
// summary line.
func TestMM1(t *testing.T) {
	var m mm1
	s := New[mm1Msg](Config{})
	if err := runMM1(s, &m); err != nil {
		t.Fatal(err)
	}
	if m.served != mm1Customers || !m.fifo {
		t.Fatalf("served %d of %d customers, FIFO %v", m.served, mm1Customers, m.fifo)
	}
	if s.Fired() != 2*mm1Customers {
		t.Errorf("%d events fired, want %d", s.Fired(), 2*mm1Customers)
	}
	got := m.line()
	t.Log(got)

	var b mm1
	var l baseLoop
	runBaselineMM1(&l, &b)
	if want := b.line(); got != want {
		t.Errorf("kernel and baseline disagree:\nkernel   %s\nbaseline %s", got, want)
	}
	// Theory for utilisation 0.9 is a mean wait of 9 s; one sample path of
	// 200 000 customers is autocorrelated, so only a loose check.
	if mean := float64(m.sumWait) / mm1Customers / 1e9; mean < 6 || mean > 12 {
		t.Errorf("mean wait %.3f s is far from the theoretical 9 s", mean)
	}
}

func BenchmarkMM1(b *testing.B) {
	var m mm1
	s := New[mm1Msg](Config{})
	runMM1(s, &m) // warm up: grow the heap, the slots and the queue
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := runMM1(s, &m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(2*mm1Customers)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkBaselineMM1(b *testing.B) {
	var m mm1
	var l baseLoop
	runBaselineMM1(&l, &m)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		runBaselineMM1(&l, &m)
	}
	b.ReportMetric(float64(2*mm1Customers)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// The timeouts workload: n actors, actor i re-arming its own timer with a
// delay of (1 + (i mod 10)/10) s, until 1 000 000 events have fired.
const timeoutEvents = 1_000_000

var timeoutSizes = []int{10, 1000, 100_000}

func timeoutDelay(i int32) Time { return Second + Time(i%10)*100*Millisecond }

func runTimeouts(s *Sim[int32], n int, timers []Handle) error {
	s.Reset(Config{})
	for i := range int32(n) {
		timers[i] = s.After(timeoutDelay(i), i)
	}
	err := s.Run(func(i int32) {
		if s.Fired() == timeoutEvents {
			s.Stop()
			return
		}
		timers[i] = s.After(timeoutDelay(i), i)
	})
	if err != nil || s.Fired() != timeoutEvents {
		return fmt.Errorf("timeouts ended after %d events: %v", s.Fired(), err)
	}
	return nil
}

func runBaselineTimeouts(l *baseLoop, n int) {
	l.reset()
	for i := range int32(n) {
		l.schedule(int64(timeoutDelay(i)), 0, i)
	}
	for events := 0; events < timeoutEvents; events++ {
		e := heap.Pop(&l.q).(baseEvent)
		l.now = e.at
		l.schedule(l.now+int64(timeoutDelay(e.id)), 0, e.id)
	}
}

func BenchmarkTimeouts(b *testing.B) {
	for _, n := range timeoutSizes {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			s := New[int32](Config{})
			timers := make([]Handle, n)
			if err := runTimeouts(s, n, timers); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := runTimeouts(s, n, timers); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(timeoutEvents*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func BenchmarkBaselineTimeouts(b *testing.B) {
	for _, n := range timeoutSizes {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			var l baseLoop
			runBaselineTimeouts(&l, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				runBaselineTimeouts(&l, n)
			}
			b.ReportMetric(timeoutEvents*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// TestTimeoutsWorkload checks that both loops run the timeouts workload the
// same way: the same number of events, ending at the same virtual time.
func TestTimeoutsWorkload(t *testing.T) {
	for _, n := range []int{10, 1000} {
		s := New[int32](Config{})
		if err := runTimeouts(s, n, make([]Handle, n)); err != nil {
			t.Fatal(err)
		}
		var l baseLoop
		runBaselineTimeouts(&l, n)
		if int64(s.Now()) != l.now {
			t.Errorf("n=%d: kernel ended at %v, baseline at %v", n, s.Now(), Time(l.now))
		}
	}
}
