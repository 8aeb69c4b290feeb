/*
 * pcap-floor: the floor for pcap replay. Opens a capture with libpcap and reads every packet
 * with pcap_next_ex, counting packets and captured bytes, and does nothing else. Whatever
 * `sovren capture` costs above this is its own work.
 *
 * Build: cc -O2 -o pcap-floor hack/bench/pcap-floor.c -lpcap
 * Usage: pcap-floor FILE   (prints: packets=N bytes=N seconds=S)
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  char errbuf[PCAP_ERRBUF_SIZE];
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  pcap_t *handle = pcap_open_offline(argv[1], errbuf);
  if (handle == NULL) {
    fprintf(stderr, "pcap-floor: %s\n", errbuf);
    return 1;
  }
  struct pcap_pkthdr *header;
  const u_char *data;
  uint64_t packets = 0, bytes = 0;
  int status;
  while ((status = pcap_next_ex(handle, &header, &data)) == 1) {
    packets += 1;
    bytes += header->caplen;
  }
  if (status == PCAP_ERROR) {
    fprintf(stderr, "pcap-floor: %s\n", pcap_geterr(handle));
    pcap_close(handle);
    return 1;
  }
  pcap_close(handle);
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
  printf("packets=%llu bytes=%llu seconds=%.6f\n", (unsigned long long)packets, (unsigned long long)bytes,
         seconds);
  return 0;
}
