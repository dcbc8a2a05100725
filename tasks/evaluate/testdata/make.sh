#!/usr/bin/env bash
# Regenerates the evaluate edge cases: writes each case's qrels and run, runs
# trec_eval 10.0-rc3 (github.com/usnistgov/trec_eval) on them and records its
# command, stdout, stderr and exit status. Tests read these files; they never
# run trec_eval. Usage: cd tasks/evaluate/testdata && ./make.sh
set -u
cd "$(dirname "$0")"
rm -rf cases && mkdir cases

# record NAME TREC_EVAL_OPTIONS... : runs trec_eval on cases/NAME/{qrels,run}.
record() {
  local name=$1
  shift
  (
    cd "cases/$name"
    echo "trec_eval $* qrels run" > command
    trec_eval "$@" qrels run > stdout 2> stderr
    echo $? > exit
  )
}
# files NAME QRELS RUN : printf formats of the two inputs.
files() {
  mkdir -p "cases/$1"
  printf "$2" > "cases/$1/qrels"
  printf "$3" > "cases/$1/run"
}

# Ties across the BMP boundary: U+10000 (F0 90 80 80) > U+E000 (EE 80 80) in bytes.
files bmp_tie 'q 0 \xf0\x90\x80\x80 1\n' 'q Q0 \xee\x80\x80 1 1 t\nq Q0 \xf0\x90\x80\x80 2 1 t\n'
record bmp_tie -c -q -m recip_rank
# Docids that are not UTF-8 are distinct bytes (0xff > 0xfe).
files non_utf8 'q 0 \xfe 1\n' 'q Q0 \xfe 1 1 t\nq Q0 \xff 2 1 t\n'
record non_utf8 -c -q -m recip_rank
# Scores read by atof: query NN holds doc "rel" with literal NN and 16 reference scores.
lits="0b11 1e3x abc 0x1p3 0X1.8P1 inf -inf INFINITY .5 1e 1e+ +.5e-1 1e400 -1e400 1e-400 0x 0x.8 1.5.5 - + . 00012 1_000 1.00000000000000000001 123456789012345678 -0 1e-5"
refs="-1e300 -1 -0.5 0 0.25 0.5 1 1.5 3 7.5 8 8.5 999 1000 1001 1e300"
mkdir -p cases/atof && : > cases/atof/qrels && : > cases/atof/run && i=0
for l in $lits; do
  i=$((i + 1)); q=$(printf 'q%02d' $i)
  echo "$q 0 rel 1" >> cases/atof/qrels
  for r in $refs; do echo "$q Q0 ref$r 1 $r t" >> cases/atof/run; done
  echo "$q Q0 rel 1 $l t" >> cases/atof/run
done
echo "$lits" | tr ' ' '\n' > cases/atof/literals
record atof -c -q -m recip_rank
# NaN: accepted by trec_eval (order then depends on its qsort); refused by us.
files nan_score 'q 0 a 1\n' 'q Q0 b 1 1 t\nq Q0 a 1 nan t\n'
record nan_score -c -q -m recip_rank
# Qrels files trec_eval refuses or reads oddly.
files empty_qrels '' 'q Q0 a 1 1 t\n'
record empty_qrels -c -m recip_rank
files blank_qrels '  \n' 'q Q0 a 1 1 t\n'
record blank_qrels -c -m recip_rank
files blank_line_in_qrels 'q 0 a 1\n\nq 0 b 1\n' 'q Q0 a 1 1 t\n'
record blank_line_in_qrels -c -m recip_rank
files qrels_five_fields 'q 0 a 1 x\n' 'q Q0 a 1 1 t\n'
record qrels_five_fields -c -m recip_rank
files qrels_atol 'q 0 a 1.7\nq 0 b abc\nq 0 c +2\n' 'q Q0 b 1 3 t\nq Q0 a 1 2 t\nq Q0 c 1 1 t\n'
record qrels_atol -c -q -m recip_rank -m ndcg_cut.10
files qrels_comment '# judged by hand\n q 0 a 1\n' 'q Q0 a 1 1 t\n'
record qrels_comment -c -q -m recip_rank
files qrels_two_comments '# one\n# two\nq 0 a 1\n' 'q Q0 a 1 1 t\n'
record qrels_two_comments -c -m recip_rank
files qrels_comment_last 'q 0 a 1\n# end\n' 'q Q0 a 1 1 t\n'
record qrels_comment_last -c -m recip_rank
files qrels_duplicate 'q 0 a 1\nq 0 a 0\n' 'q Q0 a 1 1 t\n'
record qrels_duplicate -c -m recip_rank
# Run files.
files empty_run 'q 0 a 1\n' ''
record empty_run -c -m recip_rank
files blank_run 'q 0 a 1\n' '\n  \n'
record blank_run -c -q -m recip_rank
files run_five_fields 'q 0 a 1\n' 'q Q0 a 1 1\n'
record run_five_fields -c -m recip_rank
files run_whitespace 'q 0 b 1\r\n' '  # comment\nq\tQ0\ta\t1\t1\tt extra fields\r\n\vq\fQ0 b 2 0.5 t\r\n#end'
record run_whitespace -c -q -m recip_rank
files run_nul 'q 0 a 1\n' 'q Q0 a\0z 1 1 t\nq Q0 b 1 1 t\n'
record run_nul -c -q -m recip_rank
# Duplicates count only among the top -M documents of evaluated queries.
files duplicate_all 'q 0 a 1\n' 'q Q0 a 1 1 t\nq Q0 b 1 3 t\nq Q0 c 1 2 t\nq Q0 a 1 0.5 t\n'
record duplicate_all -c -m recip_rank
cp -r cases/duplicate_all cases/duplicate_below_M3 && record duplicate_below_M3 -c -M 3 -m recip_rank
cp -r cases/duplicate_all cases/duplicate_in_M4 && record duplicate_in_M4 -c -M 4 -m recip_rank
files duplicate_unjudged_query 'q 0 a 1\n' 'q9 Q0 x 1 1 t\nq9 Q0 x 1 1 t\nq Q0 a 1 1 t\n'
record duplicate_unjudged_query -c -m recip_rank
# A query's lines spread over the file; its duplicate is outside the final top 2.
files split_query 'q1 0 c 1\nq2 0 b 1\n' \
  'q1 Q0 a 1 1 t\nq1 Q0 a 2 1 t\nq2 Q0 b 1 1 t\nq2 Q0 x 2 2 t\nq1 Q0 c 3 5 t\nq1 Q0 d 4 4 t\n'
record split_query -c -q -M 2 -m recip_rank
# Without -c every qrels query must be in the run.
files missing_query 'q 0 a 1\nz 0 a 1\n' 'q Q0 a 1 1 t\n'
record missing_query -m recip_rank
cp -r cases/missing_query cases/missing_query_c && record missing_query_c -c -q -m recip_rank
# printf rounds exact ties to even: RR 1/32 prints 0.0312.
files tie_rounding 'q 0 n32 1\n' "$(for i in $(seq 1 40); do printf 'q Q0 n%d 1 %d t\\n' $i $((100 - i)); done)"
record tie_rounding -c -m recip_rank
# The relevance level (-l) of binary measures: levels 1-3, only 2 and up count.
files relevance_level 'q1 0 a 1\nq1 0 b 2\nq1 0 c 3\nq2 0 d 1\nq2 0 e 2\n' \
  'q1 Q0 a 1 9 t\nq1 Q0 x 2 8 t\nq1 Q0 b 3 7 t\nq1 Q0 c 4 6 t\nq2 Q0 d 1 9 t\nq2 Q0 y 2 8 t\nq2 Q0 e 3 7 t\n'
record relevance_level -c -q -l 2 -m map -m recip_rank -m P.10
