set terminal svg size 1500,480 dynamic font "sans,11" background "white"
set output 'chart.svg'
set multiplot layout 1,2 title "rustenc benchmark (quick, 2026-11-30 06:42:26 UTC, load 1.23 2.86 4.40)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key outside top center horizontal
set xtics nomirror rotate by -25
set yrange [0:*]
set title "CLI loop: time per iteration relative to files (median of per-rep ratios)"
set ylabel "× files, log scale (lower is better)"
set logscale y 2
set yrange [0.25:*]
plot 'chart-cli.dat' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), '' using 4 title columnheader(4), '' using 5 title columnheader(5), '' using 6 title columnheader(6), '' using 7 title columnheader(7), 1 with lines dt 2 lc rgb 'black' notitle
unset logscale y
set yrange [0:*]
set title "HTTP (nginx + php-fpm): requests per second (median)"
set ylabel "req/s (higher is better)"
plot 'chart-http.dat' using 2:xtic(1) title columnheader(2), '' using 3 title columnheader(3), '' using 4 title columnheader(4), '' using 5 title columnheader(5), '' using 6 title columnheader(6), '' using 7 title columnheader(7)
unset multiplot
