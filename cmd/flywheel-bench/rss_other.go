//go:build !linux

package main

// On systems without /proc the footprint's memory columns say "n/a".

func rssOf(int) int64 { return 0 }

func peakRSSOf(int) int64 { return 0 }

func cpuModel() string { return "" }

func kernel() string { return "" }
