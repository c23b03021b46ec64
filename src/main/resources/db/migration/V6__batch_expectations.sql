-- A batch transaction may send its writes in the same round trip as the locks and claims they
-- depend on, before it knows what those find, when it can expect what they will find (every
-- aggregate of the batch at the step before its first event, no event claimed before). Its lock and
-- claim statements check that expectation with this function, which fails the transaction when it
-- does not hold; the batch is then applied again the careful way, which reads before it writes.
-- SQLSTATE OF001 tells such a miss from any other failure.
create function orderflow_expect(holds boolean, expectation text) returns boolean
language plpgsql as $$
begin
    if not holds then
        raise exception using errcode = 'OF001', message = 'expectation missed: ' || expectation;
    end if;
    return true;
end
$$;
