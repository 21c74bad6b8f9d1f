# Shared by the stand-in commands: state lives in $STUB_STATE (a test's
# temporary directory).  Every call is appended to $STUB_STATE/calls.log.
: "${STUB_STATE:?STUB_STATE not set}"
echo "$(basename "$0") $*" >>"$STUB_STATE/calls.log"
# next N: increment and print the counter named N
next() {
	n=$(cat "$STUB_STATE/count.$1" 2>/dev/null || echo 0)
	n=$((n + 1))
	echo "$n" >"$STUB_STATE/count.$1"
	echo "$n"
}
conn() { cat "$STUB_STATE/conn" 2>/dev/null; }
