/* libdlhot.so: the library that dlopen_late loads late; dl_hot spins. */
volatile unsigned long dl_sink;

void dl_hot(unsigned long n);

/* N iterations of busy work. */
void
dl_hot(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		dl_sink += i;
}
