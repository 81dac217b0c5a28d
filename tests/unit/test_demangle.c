/* Unit tests for demangle(): C++, Rust legacy, Rust v0, and plain names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "demangle.h"

/* Check that name demangles to want (NULL: stays as it is). */
static void
expect(const char *name, const char *want)
{
	char *got = demangle(name);

	if (want == NULL) {
		if (got != NULL)
			fprintf(stderr, "%s demangled to \"%s\"\n", name, got);
		CHECK(got == NULL);
	} else
		CHECK_STR(got, want);
	free(got);
}

/* C++: namespaces, templates, operators, lambdas, clones. */
static void
test_cplusplus(void)
{
	expect("_ZN3foo3barIiEEvT_", "void foo::bar<int>(int)");
	expect("_ZN3foo3bar3bazEv", "foo::bar::baz()");
	expect("_Z3addii", "add(int, int)");
	expect("_ZN3FooplERKS_", "Foo::operator+(Foo const&)");
	expect("_ZN3FooixEm", "Foo::operator[](unsigned long)");
	expect("_ZNK3FooclEv", "Foo::operator()() const");
	expect("_ZZ4mainENKUlvE_clEv", "main::{lambda()#1}::operator()() const");
	expect("_ZNSt6vectorIiSaIiEE9push_backERKi",
	    "std::vector<int, std::allocator<int> >::push_back(int const&)");
	expect("_ZN3foo3barEv.cold", "foo::bar() [clone .cold]");
	expect("_ZN3FooC2Ev", "Foo::Foo()");
	expect("_ZN3FooD1Ev", "Foo::~Foo()");
}

/* Rust legacy mangling: the ::h<hash> suffix must not show. */
static void
test_rust_legacy(void)
{
	char *got;

	expect("_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write");
	expect("_ZN3std2rt10lang_start17h1a2b3c4d5e6f7081E", "std::rt::lang_start");
	expect("_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$"
	    "..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE",
	    "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>");

	got = demangle("_ZN7mycrate6module8function17hfedcba9876543210E");
	CHECK_STR(got, "mycrate::module::function");
	CHECK(got == NULL || strstr(got, "::h") == NULL);
	CHECK(got == NULL || strstr(got, "fedcba") == NULL);
	free(got);
}

/* Rust v0 mangling (RFC 2603), crate disambiguators dropped. */
static void
test_rust_v0(void)
{
	expect("_RNvC7mycrate3foo", "mycrate::foo");
	expect("_RNvCs15kBYyAo9fc_7mycrate7example", "mycrate::example");
	expect("_RNvNtCs1234_7mycrate3foo3bar", "mycrate::foo::bar");
	expect("_RNCNvC7mycrate4main0B3_", "mycrate::main::{closure#0}");
	expect("_RINvNtC3std3mem8align_ofjE", "std::mem::align_of::<usize>");
}

/* Names that are not mangled, or not validly: NULL. */
static void
test_plain(void)
{
	expect("main", NULL);
	expect("getpid", NULL);
	expect("__libc_start_main", NULL);
	expect("_start", NULL);
	expect("_init", NULL);
	expect("_Z", NULL);
	expect("_R", NULL);
	expect("_ZN3foo", NULL);
	expect("_RNvC", NULL);
	expect("", NULL);
	CHECK(demangle(NULL) == NULL);
}

/* Run every test. */
int
main(void)
{
	test_cplusplus();
	test_rust_legacy();
	test_rust_v0();
	test_plain();
	return check_exit("test_demangle");
}
