# Sourced by the benchmarks that can read from Kafka. Sets broker from BROKER: jetstream (the default) or kafka; and
# defines a single-node KRaft broker (broker and controller in one) in a JVM of its own, started from the service's
# jar, which holds the broker for local mode, with the heap Kafka's own start script gives it.
#
#   start_kafka JAVA DIR PORT PARTITIONS   listens on 127.0.0.1:PORT (its controller on PORT+1), keeps its data and
#                                          broker.log in DIR, makes topics of PARTITIONS partitions when they are
#                                          first written to; sets kafka_pid once the broker accepts connections

broker=${BROKER:-jetstream}
case "$broker" in jetstream|kafka) ;; *) echo "BROKER must be jetstream or kafka, got '$broker'" >&2; exit 2 ;; esac

start_kafka() {
  local java=$1 dir=$2 port=$3 partitions=$4 cluster_id
  mkdir -p "$dir"
  cat > "$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$((port + 1))
log.dirs=$dir/log
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=$partitions
EOF
  # 16 random bytes in URL-safe base64, as Kafka's own ids are, drawn again when the id begins with "-", as Kafka's
  # own are too: StorageTool would read it as an option and refuse to format (one run in 64).
  cluster_id=-
  while [[ $cluster_id == -* ]]; do
    cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)
  done
  "$java" -cp target/orders.jar kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
    > "$dir/broker.log" 2>&1 || { cat "$dir/broker.log" >&2; return 1; }
  "$java" -Xms1g -Xmx1g -cp target/orders.jar kafka.Kafka "$dir/server.properties" >> "$dir/broker.log" 2>&1 &
  kafka_pid=$!
  until (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do
    kill -0 "$kafka_pid" 2> /dev/null || { tail -20 "$dir/broker.log" >&2; return 1; }
    sleep 0.2
  done
}
