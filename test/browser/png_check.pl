#!/usr/bin/env perl
# test/browser/png_check.pl FILE.png: is a screenshot blank?  Decodes the PNG
# (8-bit RGB or RGBA, the kind Chromium writes) and prints one line:
#   width height inked_fraction colours palette_hits
# inked_fraction: pixels that are neither white nor the page background;
# colours: distinct colours at 4 bits per channel; palette_hits: how many of
# the report's chart colours (Paul Tol's muted scheme) fill at least 50 pixels.
# Perl with its core modules only, because pg_prove already needs Perl.
use strict;
use warnings;
use Compress::Zlib qw(uncompress);

my $file = shift or die "usage: png_check.pl FILE.png\n";
open(my $fh, '<:raw', $file) or die "png_check: cannot read $file: $!\n";
local $/;
my $png = <$fh>;
close($fh);
die "png_check: $file is not a PNG\n" unless substr($png, 0, 8) eq "\x89PNG\r\n\x1a\n";

my ($w, $h, $depth, $ctype, $interlace, $idat) = (0, 0, 0, 0, 0, '');
my $pos = 8;
while ($pos + 8 <= length($png)) {
	my ($len, $type) = unpack('Na4', substr($png, $pos, 8));
	my $data = substr($png, $pos + 8, $len);
	if ($type eq 'IHDR') {
		($w, $h, $depth, $ctype, undef, undef, $interlace) = unpack('NNCCCCC', $data);
	} elsif ($type eq 'IDAT') {
		$idat .= $data;
	} elsif ($type eq 'IEND') {
		last;
	}
	$pos += 12 + $len;
}
die "png_check: only 8-bit RGB(A), non-interlaced PNGs (got depth $depth, colour type $ctype)\n"
	unless $depth == 8 && ($ctype == 2 || $ctype == 6) && !$interlace;
my $raw = uncompress($idat);
die "png_check: corrupt image data\n" unless defined $raw;
my $bpp = $ctype == 6 ? 4 : 3;
my $stride = $w * $bpp;

my @palette = map { [ map { hex } /(..)(..)(..)/ ] }
	qw(CC6677 332288 DDCC77 117733 88CCEE 882255 44AA99 999933 AA4499);
my (%colours, @hits);
my ($inked, $total) = (0, 0);
my @prior = (0) x $stride;
for my $y (0 .. $h - 1) {
	my $off = $y * ($stride + 1);
	my $filter = ord(substr($raw, $off, 1));
	my @cur = unpack('C*', substr($raw, $off + 1, $stride));
	# undo the row filter (PNG specification, section 9)
	if ($filter == 1) {
		$cur[$_] = ($cur[$_] + $cur[$_ - $bpp]) & 255 for $bpp .. $stride - 1;
	} elsif ($filter == 2) {
		$cur[$_] = ($cur[$_] + $prior[$_]) & 255 for 0 .. $stride - 1;
	} elsif ($filter == 3) {
		for my $i (0 .. $stride - 1) {
			my $left = $i >= $bpp ? $cur[$i - $bpp] : 0;
			$cur[$i] = ($cur[$i] + (($left + $prior[$i]) >> 1)) & 255;
		}
	} elsif ($filter == 4) {
		for my $i (0 .. $stride - 1) {
			my ($a, $b, $c) = $i >= $bpp ? ($cur[$i - $bpp], $prior[$i], $prior[$i - $bpp]) : (0, $prior[$i], 0);
			my $p = $a + $b - $c;
			my ($pa, $pb, $pc) = (abs($p - $a), abs($p - $b), abs($p - $c));
			$cur[$i] = ($cur[$i] + ($pa <= $pb && $pa <= $pc ? $a : $pb <= $pc ? $b : $c)) & 255;
		}
	} elsif ($filter != 0) {
		die "png_check: unknown row filter $filter\n";
	}
	for (my $i = 0; $i < $stride; $i += $bpp) {
		my ($r, $g, $b) = @cur[$i .. $i + 2];
		$total++;
		next if $r >= 250 && $g >= 250 && $b >= 250;            # white
		next if abs($r - 0xef) <= 2 && abs($g - 0xef) <= 2 && abs($b - 0xec) <= 2;   # page background
		$inked++;
		$colours{($r >> 4) . ',' . ($g >> 4) . ',' . ($b >> 4)} = 1;
		for my $k (0 .. $#palette) {
			my $c = $palette[$k];
			$hits[$k]++ if abs($r - $c->[0]) <= 3 && abs($g - $c->[1]) <= 3 && abs($b - $c->[2]) <= 3;
		}
	}
	@prior = @cur;
}
my $palette_hits = grep { defined && $_ >= 50 } @hits;
printf "%d %d %.4f %d %d\n", $w, $h, $total ? $inked / $total : 0, scalar(keys %colours), $palette_hits;
