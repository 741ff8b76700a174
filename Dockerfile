# Orders: build with the Maven Wrapper on a JDK, run the one jar on a JRE as a non-root user.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:21-jre
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin orders
WORKDIR /app
COPY --from=build /src/target/orders.jar /app/orders.jar
USER 10001
ENV ORDERS_HTTP_PORT=8080 \
    ORDERS_DATA_DIR=/app/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
# As ./orders runs it: the whole heap from the start and C2 alone, which on two cores took a fifth off the JVM's CPU in
# its first 200,000 ingested orders without slowing start-up or lookups (docs/PERFORMANCE.md, ingestion); a JVM out of
# heap exits, to be restarted, instead of living on with dead threads.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:InitialRAMPercentage=75", "-XX:-TieredCompilation", \
            "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/orders.jar"]
