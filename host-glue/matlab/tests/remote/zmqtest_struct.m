function s = zmqtest_struct()
% Remote-call test function: a struct, which has no reply form.
s = struct('a', 1);
end
