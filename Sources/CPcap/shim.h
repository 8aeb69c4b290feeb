#ifndef SOVREN_CPCAP_SHIM_H
#define SOVREN_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
